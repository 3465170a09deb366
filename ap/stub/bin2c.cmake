# Turns the flat stub binary IN into OUT, a C file defining ap_stub_bytes / ap_stub_size.
# Usage: cmake -DIN=ap_stub.bin -DOUT=ap_stub_blob.c -P bin2c.cmake
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" nhex)
math(EXPR n "${nhex} / 2")
if(n EQUAL 0)
  message(FATAL_ERROR "bin2c: ${IN} is empty")
endif()
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n\t" body "${body}")
file(WRITE ${OUT} "/* Generated from ap/stub/ap_stub.S by ap/stub/bin2c.cmake: do not edit. */\n"
  "#include \"ap/ap_stub_blob.h\"\n\n"
  "const uint8_t ap_stub_bytes[] = {\n\t${body}\n};\n"
  "const size_t ap_stub_size = ${n};\n")
