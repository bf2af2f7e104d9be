# CUnit suites of structs/ (one line per suite; see tests/CMakeLists.txt for mc_add_test).
mc_add_test(structs/test_boxed)
mc_add_test(structs/test_list)
mc_add_test(structs/test_pq)
mc_add_test(structs/test_ndarray)
mc_add_test(structs/test_ndarray_ops)
mc_add_test(structs/test_pairing)

# The differential test against NumPy (issue 20): ndarray_numpy.py generates thousands of random
# cases, ndarray_numpy_driver applies them with memcurve, the script compares with NumPy.
# Debian's python3-numpy (make deps installs it) is looked for in /usr/bin first; without a
# Python that imports numpy the test is not registered, and configure says so.
find_program(MC_PYTHON3_NUMPY NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT MC_PYTHON3_NUMPY)
  find_program(MC_PYTHON3_NUMPY NAMES python3)
endif()
set(MC_HAVE_NUMPY OFF)
if(MC_PYTHON3_NUMPY)
  execute_process(COMMAND ${MC_PYTHON3_NUMPY} -c "import numpy"
    RESULT_VARIABLE mc_numpy_rc OUTPUT_QUIET ERROR_QUIET)
  if(mc_numpy_rc EQUAL 0)
    set(MC_HAVE_NUMPY ON)
  endif()
endif()
add_executable(ndarray_numpy_driver ${CMAKE_CURRENT_SOURCE_DIR}/structs/ndarray_numpy_driver.c)
target_link_libraries(ndarray_numpy_driver PRIVATE memcurve)
if(MC_HAVE_NUMPY)
  add_test(NAME test_ndarray_numpy COMMAND ${MC_PYTHON3_NUMPY}
    ${CMAKE_CURRENT_SOURCE_DIR}/structs/ndarray_numpy.py
    --driver $<TARGET_FILE:ndarray_numpy_driver>)
  set_tests_properties(test_ndarray_numpy PROPERTIES TIMEOUT 300)
else()
  message(WARNING "no python3 with numpy: test_ndarray_numpy (ndarray vs NumPy) not registered")
endif()
