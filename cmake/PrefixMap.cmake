# Machine paths out of the binaries: libzmq's assertion messages print __FILE__,
# and debug information records directories. The compilers' prefix-map option
# rewrites them, so a wheel says `src/epoll.cpp`, never the temporary directory
# of the machine that built it.
#
# prefix_map_flags(<out_var> <dir>=<replacement> ...) sets <out_var> to the
# flags (a space-separated string, for CFLAGS-style variables) for the given
# mappings, or to "" with a compiler that has no such option (MSVC). Give the
# more specific directory last: the last matching mapping wins.

include(CheckCCompilerFlag)
check_c_compiler_flag("-ffile-prefix-map=/a=b" ZMQ_HAVE_FILE_PREFIX_MAP)

function(prefix_map_flags out_var)
  set(flags "")
  if(ZMQ_HAVE_FILE_PREFIX_MAP)
    foreach(mapping IN LISTS ARGN)
      string(APPEND flags " -ffile-prefix-map=${mapping}")
    endforeach()
  endif()
  string(STRIP "${flags}" flags)
  set(${out_var} "${flags}" PARENT_SCOPE)
endfunction()

# The build tree and the project, for everything compiled here; the bundled
# libraries add their own source trees on top (see Libzmq.cmake, Libsodium.cmake).
prefix_map_flags(ZMQ_PREFIX_MAP_FLAGS "${CMAKE_BINARY_DIR}=build" "${PROJECT_SOURCE_DIR}=pyzmq")
