# Smoke test of pvh-bench (ctest bench_smoke): runs every scenario in --quick mode, requires
# the floor, QEMU and every pvh-sev contender to run cleanly, and checks the JSON it wrote. No timing assertions: the
# numbers of a one-run smoke on a shared machine mean nothing.
# Usage: cmake -DBENCH=path/to/pvh-bench -DJSON_OUT=file.json -P smoke.cmake
file(REMOVE ${JSON_OUT})
execute_process(COMMAND ${BENCH} --quick --json ${JSON_OUT} --require floor,qemu,pvh-sev
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(rc EQUAL 77)
  return() # the skip line is in the output (SKIP_REGULAR_EXPRESSION)
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pvh-bench --quick exited with ${rc}")
endif()

file(READ ${JSON_OUT} doc)
string(JSON tool ERROR_VARIABLE jerr GET "${doc}" tool)
if(jerr OR NOT tool STREQUAL "pvh-bench")
  message(FATAL_ERROR "${JSON_OUT} is not pvh-bench JSON: ${jerr}")
endif()
string(JSON n LENGTH "${doc}" scenarios)
if(NOT n EQUAL 7)
  message(FATAL_ERROR "expected 7 scenarios in ${JSON_OUT}, found ${n}")
endif()
# P2L (Linux, last) runs only with --linux DIR: here it is there, skipped with its reason.
string(JSON p2l_skip ERROR_VARIABLE jerr GET "${doc}" scenarios 6 skipped)
if(jerr OR NOT p2l_skip MATCHES "--linux")
  message(FATAL_ERROR "P2L is not skipped for want of --linux: ${jerr}")
endif()

# Every row of P1 and P3 that belongs to the floor or QEMU has numbers. P1's are wall times of
# whole processes (positive by construction); P3's are differences of two one-run samples and
# may come out negative under load, so only their presence is checked.
foreach(s 0 2)
  string(JSON id GET "${doc}" scenarios ${s} id)
  string(JSON nm LENGTH "${doc}" scenarios ${s} metrics)
  math(EXPR last "${nm} - 1")
  set(checked 0)
  foreach(m RANGE ${last})
    string(JSON name GET "${doc}" scenarios ${s} metrics ${m} name)
    if(name MATCHES "(^|: )(floor|qemu)")
      string(JSON median ERROR_VARIABLE merr GET "${doc}" scenarios ${s} metrics ${m} stats median)
      if(merr OR (id STREQUAL "P1" AND NOT median GREATER 0))
        message(FATAL_ERROR "${id} '${name}' has no median (or a P1 time <= 0): ${merr}")
      endif()
      math(EXPR checked "${checked} + 1")
    endif()
  endforeach()
  if(checked LESS 2)
    message(FATAL_ERROR "${id}: expected floor and QEMU rows, checked ${checked}")
  endif()
endforeach()
message(STATUS "pvh-bench smoke: JSON valid, floor and QEMU rows present")
