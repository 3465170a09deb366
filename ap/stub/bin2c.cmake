# Turns the flat stub binary IN into OUT, a C file defining <NAME>_bytes / <NAME>_size
# (NAME defaults to ap_stub, SRC names the source in the header comment).
# Usage: cmake -DIN=ap_stub.bin -DOUT=ap_stub_blob.c [-DNAME=ap_stub -DSRC=ap_stub.S] -P bin2c.cmake
if(NOT NAME)
  set(NAME ap_stub)
endif()
if(NOT SRC)
  set(SRC ap_stub.S)
endif()
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" nhex)
math(EXPR n "${nhex} / 2")
if(n EQUAL 0)
  message(FATAL_ERROR "bin2c: ${IN} is empty")
endif()
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n\t" body "${body}")
file(WRITE ${OUT} "/* Generated from ap/stub/${SRC} by ap/stub/bin2c.cmake: do not edit. */\n"
  "#include \"ap/${NAME}_blob.h\"\n\n"
  "const uint8_t ${NAME}_bytes[] = {\n\t${body}\n};\n"
  "const size_t ${NAME}_size = ${n};\n")
