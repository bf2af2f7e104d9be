mc_add_test(allocators/test_system)
mc_add_test(allocators/test_conformance)
