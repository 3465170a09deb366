# What `cmake --install` puts where (CMAKE_INSTALL_PREFIX, DESTDIR): the binary, its man page,
# shell completions, the guest headers with their pkg-config file, the JSON schemas and the CI
# templates. debian/rules installs through this too, so the .deb and a plain install agree.
include(GNUInstallDirs)

# The man page is written once in scdoc (docs/pvh-sev.1.scd) and turned into roff by the build.
option(PVH_MAN "build and install the man page (needs scdoc)" ON)
if(PVH_MAN)
  find_program(SCDOC scdoc)
  if(NOT SCDOC)
    message(FATAL_ERROR "scdoc not found: run scripts/install-deps.sh or configure with -DPVH_MAN=OFF")
  endif()
  set(PVH_MAN_PAGE ${PROJECT_BINARY_DIR}/pvh-sev.1)
  add_custom_command(OUTPUT ${PVH_MAN_PAGE}
    COMMAND ${SCDOC} < ${PROJECT_SOURCE_DIR}/docs/pvh-sev.1.scd > ${PVH_MAN_PAGE}
    DEPENDS ${PROJECT_SOURCE_DIR}/docs/pvh-sev.1.scd
    COMMENT "Generating the man page pvh-sev.1")
  add_custom_target(pvh_man ALL DEPENDS ${PVH_MAN_PAGE})
  install(FILES ${PVH_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

install(TARGETS pvh-sev RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Debian's zsh looks in vendor-completions (debian/rules sets it); elsewhere site-functions.
set(PVH_ZSH_COMPLETION_DIR ${CMAKE_INSTALL_DATADIR}/zsh/site-functions
  CACHE STRING "where the zsh completion is installed, relative to the prefix")
install(FILES ${CMAKE_CURRENT_LIST_DIR}/pvh-sev.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME pvh-sev)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/_pvh-sev DESTINATION ${PVH_ZSH_COMPLETION_DIR})

# The guest ABI headers, freestanding (only <stdint.h>/<stddef.h>; tests/pkg/install_tree.sh
# compiles each with -ffreestanding), keeping their directories so their includes still resolve.
foreach(h ghcb/ghcb.h loader/hvm_start_info.h loader/guest_abi.h ap/ap_abi.h)
  get_filename_component(d ${h} DIRECTORY)
  install(FILES ${PROJECT_SOURCE_DIR}/${h} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pvh-sev/${d})
endforeach()
# Headers only, the same on every architecture: the pkg-config file goes to share/pkgconfig.
configure_file(${CMAKE_CURRENT_LIST_DIR}/pvh-sev-guest.pc.in ${PROJECT_BINARY_DIR}/pvh-sev-guest.pc
  @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/pvh-sev-guest.pc DESTINATION ${CMAKE_INSTALL_DATADIR}/pkgconfig)

install(FILES ${PROJECT_SOURCE_DIR}/docs/schemas/launch-report.schema.json
  ${PROJECT_SOURCE_DIR}/docs/schemas/measure.schema.json
  ${PROJECT_SOURCE_DIR}/docs/schemas/check.schema.json
  DESTINATION ${CMAKE_INSTALL_DATADIR}/pvh-sev/schemas)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/contrib/ci/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/ci)
