# The compiled backend: a single extension module, zmq.backend.cython._zmq, so
# that every part of the package shares the one statically linked libzmq. Its
# Cython source is split into units, each declared in its .pxd (all listed in
# _zmq.pxd) and implemented in the .pxi of the same name (included by _zmq.pyx).

set(BACKEND_GENERATED "${CMAKE_BINARY_DIR}/generated")
file(MAKE_DIRECTORY "${BACKEND_GENERATED}")
set(_backend_src "${PROJECT_SOURCE_DIR}/zmq/backend/cython")

# Constants are read from the very zmq.h the backend is compiled against.
add_custom_command(
  OUTPUT "${BACKEND_GENERATED}/constant_names.pxi" "${BACKEND_GENERATED}/constant_table.h"
  COMMAND "${Python_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tools/gen_constants.py"
          "${LIBZMQ_INCLUDE_DIR}/zmq.h" "${_backend_src}/zmq_compat.h" "${BACKEND_GENERATED}"
  DEPENDS "${PROJECT_SOURCE_DIR}/tools/gen_constants.py" "${_backend_src}/zmq_compat.h" ${LIBZMQ_HEADER_DEPENDS}
  COMMENT "Generating constants from zmq.h")

file(GLOB _cython_sources CONFIGURE_DEPENDS
  "${_backend_src}/*.pyx" "${_backend_src}/*.pxi" "${_backend_src}/*.pxd" "${_backend_src}/*.h"
  "${PROJECT_SOURCE_DIR}/zmq/*.pxd")
add_custom_command(
  OUTPUT "${BACKEND_GENERATED}/_zmq.c"
  COMMAND "${Python_EXECUTABLE}" -m cython -3 --fast-fail
          -I "${BACKEND_GENERATED}" -I "${PROJECT_SOURCE_DIR}"
          --module-name zmq.backend.cython._zmq
          -o "${BACKEND_GENERATED}/_zmq.c" zmq/backend/cython/_zmq.pyx
  # Cython records its sources' names for tracebacks relative to where it
  # runs: from the project root they read zmq/backend/cython/..., whatever
  # directory the project was unpacked in.
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
  DEPENDS ${_cython_sources} "${BACKEND_GENERATED}/constant_names.pxi" "${BACKEND_GENERATED}/constant_table.h"
  COMMENT "Cythonizing zmq/backend/cython/_zmq.pyx")

python_add_library(_zmq MODULE WITH_SOABI "${BACKEND_GENERATED}/_zmq.c")
target_include_directories(_zmq PRIVATE "${_backend_src}" "${BACKEND_GENERATED}")
# Windows has one pyconfig.h for the GIL and the free-threaded interpreter: an
# extension for the latter (ABI tag cp3XXt) must say so itself.
if(WIN32 AND "${SKBUILD_SOABI}${Python_SOABI}" MATCHES "^cp[0-9]+t-")
  target_compile_definitions(_zmq PRIVATE Py_GIL_DISABLED=1)
endif()
separate_arguments(_backend_map UNIX_COMMAND "${ZMQ_PREFIX_MAP_FLAGS}")
target_compile_options(_zmq PRIVATE ${_backend_map})
if(ZMQ_DRAFT_API)
  target_compile_definitions(_zmq PRIVATE PYZMQ_DRAFT_API=1)
else()
  target_compile_definitions(_zmq PRIVATE PYZMQ_DRAFT_API=0)
endif()
# Draft constants and declarations are always visible; zmq_compat.h stubs the
# draft functions when libzmq itself was built without them.
target_compile_definitions(_zmq PRIVATE ZMQ_STATIC ZMQ_BUILD_DRAFT_API=1)
if(ZMQ_LINK_MODE STREQUAL "bundled")
  # Our libzmq, patched: see zmq_compat.h.
  target_compile_definitions(_zmq PRIVATE PYZMQ_BUNDLED_LIBZMQ=1)
endif()
target_link_libraries(_zmq PRIVATE zmq_libzmq)
# libzmq is C++: link with the C++ driver so its runtime comes along.
set_target_properties(_zmq PROPERTIES LINKER_LANGUAGE CXX)
# Export only the module init and libzmq's C API (see exports.map).
if(APPLE)
  target_link_options(_zmq PRIVATE "LINKER:-exported_symbols_list,${_backend_src}/exports.txt")
elseif(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND ZMQ_LINK_MODE STREQUAL "bundled")
  target_link_options(_zmq PRIVATE "LINKER:--version-script=${_backend_src}/exports.map")
  set_property(TARGET _zmq APPEND PROPERTY LINK_DEPENDS "${_backend_src}/exports.map")
endif()
install(TARGETS _zmq LIBRARY DESTINATION zmq/backend/cython)
