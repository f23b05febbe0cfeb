# Link an existing libzmq instead of the bundled one (for distribution packagers).
# ZMQ_PREFIX=system asks pkg-config; ZMQ_PREFIX=<dir> looks only under <dir>.

if(ZMQ_PREFIX STREQUAL "system")
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SYSTEM_LIBZMQ REQUIRED IMPORTED_TARGET libzmq)
  pkg_get_variable(LIBZMQ_INCLUDE_DIR libzmq includedir)
  pkg_get_variable(LIBZMQ_LIBRARY_DIR libzmq libdir)
  set(_libzmq_target PkgConfig::SYSTEM_LIBZMQ)
else()
  find_path(LIBZMQ_INCLUDE_DIR zmq.h PATHS "${ZMQ_PREFIX}/include" NO_DEFAULT_PATH REQUIRED)
  find_library(LIBZMQ_LIBRARY zmq PATHS "${ZMQ_PREFIX}/lib" "${ZMQ_PREFIX}/lib64" NO_DEFAULT_PATH REQUIRED)
  get_filename_component(LIBZMQ_LIBRARY_DIR "${LIBZMQ_LIBRARY}" DIRECTORY)
  set(_libzmq_target "${LIBZMQ_LIBRARY}")
endif()
message(STATUS "pyzmq: linking libzmq from ${LIBZMQ_LIBRARY_DIR}, headers in ${LIBZMQ_INCLUDE_DIR}")

add_library(zmq_libzmq INTERFACE)
target_include_directories(zmq_libzmq INTERFACE "${LIBZMQ_INCLUDE_DIR}")
target_link_libraries(zmq_libzmq INTERFACE ${_libzmq_target})
set(LIBZMQ_HEADER_DEPENDS "")
