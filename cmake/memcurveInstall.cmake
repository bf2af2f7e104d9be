# memcurveInstall.cmake — what `cmake --install` (and `make install PREFIX=...`) puts where,
# relative to the prefix:
#   lib/libmc_{alloc,structs,gc}.a, include/memcurve/*.h   the library (static by default)
#   lib/cmake/memcurve/                                    find_package(memcurve): the targets
#                                                          memcurve::memcurve, ::mc_alloc,
#                                                          ::mc_structs, ::mc_gc; finds libgc
#   lib/pkgconfig/memcurve.pc                              pkg-config --cflags --libs memcurve
#   bin/memcurve                                           the command (with the benches)
#   share/memcurve/plots/*.gp                              its gnuplot scripts, found from bin/
#   libexec/memcurve/bench_*                               the Google Benchmark binaries: off
#                                                          PATH, their names are too generic
#   libexec/memcurve/memcurve-child                        the runner's child (found from bin/)
# tests/install/test_install.sh installs into a temporary prefix and builds consumers of both
# packages from the README's examples.
include(CMakePackageConfigHelpers)

# ---- the library and its CMake package (the shape of Google Benchmark's) ----
install(TARGETS mc_alloc mc_structs mc_gc memcurve EXPORT memcurveTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION include/memcurve)
install(FILES memcurve.h DESTINATION include/memcurve)
install(EXPORT memcurveTargets NAMESPACE memcurve::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/memcurve)
configure_package_config_file(cmake/memcurveConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/memcurveConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/memcurve)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/memcurveConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/memcurveConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/memcurveConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/memcurve)

# ---- the pkg-config file ----
# A static library's dependencies must reach the link line of a plain `pkg-config --libs`, so
# they are public (Requires, Libs) for static builds and private for shared ones.
# Written at install time, so that its prefix is the one installed into (cmake --install
# --prefix DIR); build/memcurve.pc.in holds everything else, substituted at configure time.
if(BUILD_SHARED_LIBS)
  set(MC_PC_REQUIRES "")
  set(MC_PC_REQUIRES_PRIVATE "bdw-gc")
  set(MC_PC_LIBS "")
  set(MC_PC_LIBS_PRIVATE "${CMAKE_DL_LIBS}")
else()
  set(MC_PC_REQUIRES "bdw-gc")
  set(MC_PC_REQUIRES_PRIVATE "")
  set(MC_PC_LIBS "${CMAKE_DL_LIBS}")
  set(MC_PC_LIBS_PRIVATE "")
endif()
list(TRANSFORM MC_PC_LIBS PREPEND "-l")
list(TRANSFORM MC_PC_LIBS_PRIVATE PREPEND "-l")
string(JOIN " " MC_PC_LIBS ${MC_PC_LIBS})
string(JOIN " " MC_PC_LIBS_PRIVATE ${MC_PC_LIBS_PRIVATE})
set(MC_PC_PREFIX "@MC_PC_PREFIX@") # kept for the install-time pass
configure_file(cmake/memcurve.pc.in ${CMAKE_CURRENT_BINARY_DIR}/memcurve.pc.in @ONLY)
install(CODE "set(MC_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${CMAKE_CURRENT_BINARY_DIR}/memcurve.pc.in\"
    \"${CMAKE_CURRENT_BINARY_DIR}/memcurve.pc\" @ONLY)")
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/memcurve.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# ---- the command, its gnuplot scripts, the bench_* binaries ----
if(TARGET memcurve_cli)
  install(TARGETS memcurve_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(TARGETS memcurve_child RUNTIME DESTINATION ${MEMCURVE_INSTALL_BENCHDIR})
  file(GLOB MC_PLOT_SCRIPTS ${PROJECT_SOURCE_DIR}/plots/*.gp)
  install(FILES ${MC_PLOT_SCRIPTS} DESTINATION ${MEMCURVE_INSTALL_PLOTSDIR})
endif()
get_property(MC_BENCHES GLOBAL PROPERTY MEMCURVE_BENCHES)
if(MC_BENCHES)
  install(TARGETS ${MC_BENCHES} RUNTIME DESTINATION ${MEMCURVE_INSTALL_BENCHDIR})
endif()
