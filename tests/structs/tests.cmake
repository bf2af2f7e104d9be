# CUnit suites of structs/ (one line per suite; see tests/CMakeLists.txt for mc_add_test).
mc_add_test(structs/test_boxed)
mc_add_test(structs/test_list)
mc_add_test(structs/test_pq)
mc_add_test(structs/test_ndarray)
mc_add_test(structs/test_ndarray_ops)
mc_add_test(structs/test_pairing)
