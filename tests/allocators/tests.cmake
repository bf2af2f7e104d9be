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
# held (each allocator's own accounting) against resident, for every allocator; the outside
# mallocs are LD_PRELOADed into a child, from the paths found here (a missing one is skipped
# with a message).
mc_add_test(allocators/test_held)
target_compile_definitions(test_held PRIVATE $<$<OR:$<CONFIG:Debug>,$<CONFIG:>>:MC_TEST_LIB_FILLS=1>)
find_library(MC_LIBJEMALLOC NAMES libjemalloc.so.2 jemalloc)
find_library(MC_LIBMIMALLOC NAMES libmimalloc.so.2 libmimalloc.so mimalloc)
find_library(MC_LIBTCMALLOC NAMES libtcmalloc_minimal.so.4 libtcmalloc.so.4 tcmalloc_minimal)
foreach(m JEMALLOC MIMALLOC TCMALLOC)
  if(MC_LIB${m})
    target_compile_definitions(test_held PRIVATE MC_TEST_${m}="${MC_LIB${m}}")
  endif()
endforeach()
