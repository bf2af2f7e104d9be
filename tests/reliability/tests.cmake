# Reliability: hostile input and faults, driving the built `memcurve` binary (issue 7).
# The scripts get the binary through the MEMCURVE environment variable; they need bash,
# h5dump (hdf5-tools) and /usr/bin/python3 with h5py. Label: reliability.
if(TARGET memcurve_cli)
  foreach(t test_rel_args test_rel_files test_rel_faults test_rel_hostile)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/reliability/${t}.sh)
      add_test(NAME ${t} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/reliability/${t}.sh)
      set_tests_properties(${t} PROPERTIES LABELS reliability TIMEOUT 600
        ENVIRONMENT "MEMCURVE=$<TARGET_FILE:memcurve_cli>")
    endif()
  endforeach()
endif()
