mc_add_test(allocators/test_system)
