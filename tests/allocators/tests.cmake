# Allocator suites. MC_TEST_LIB_FILLS tells a suite that the library was built without NDEBUG
# (Debug or no build type), so the 0xAA/0x55 debug fills are there to be checked.
mc_add_test(allocators/test_system)
mc_add_test(allocators/test_conformance)
mc_add_test(allocators/test_direct) # the inline direct calls against the vtable
foreach(t test_stack test_arena test_pool test_counting test_failing)
  mc_add_test(allocators/${t})
  target_compile_definitions(${t} PRIVATE
    $<$<OR:$<CONFIG:Debug>,$<CONFIG:>>:MC_TEST_LIB_FILLS=1>)
endforeach()
