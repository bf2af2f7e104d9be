# The installed package (issue 14): tests/install/test_install.sh installs this build into a
# temporary prefix, builds a find_package consumer and a pkg-config consumer of the README's
# examples, and draws charts with the installed command. Label: install. Not in fuzz builds
# (their instrumentation needs libFuzzer at link time); ASan builds give the consumers the
# sanitizers' flags.
if(TARGET memcurve_cli AND NOT MEMCURVE_FUZZ)
  if(MEMCURVE_SANITIZE)
    set(MC_CONSUMER_FLAGS "-fsanitize=address,undefined")
  endif()
  add_test(NAME test_install
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/install/test_install.sh ${PROJECT_BINARY_DIR})
  set_tests_properties(test_install PROPERTIES LABELS install TIMEOUT 600
    ENVIRONMENT "MEMCURVE=$<TARGET_FILE:memcurve_cli>;MC_CC=${CMAKE_C_COMPILER};MC_CONSUMER_FLAGS=${MC_CONSUMER_FLAGS}")
endif()
