# libzmq: static, position-independent, with CURVE through the bundled libsodium,
# built by its own CMake. Everything that could pull in another system library
# (libbsd, GnuTLS, NSS) is off, so the extension depends on no libzmq or libsodium.

include(ExternalProject)
bundled_source(LIBZMQ libzmq_archive)

# Our fixes to the pinned release, applied in file-name order; each patch file
# says why it exists. The tree is built in a directory named after the patches'
# contents, so editing, adding or removing one re-extracts and rebuilds libzmq
# instead of patching an already patched tree.
file(GLOB LIBZMQ_PATCHES CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/bundled/libzmq-*.patch")
list(SORT LIBZMQ_PATCHES)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${LIBZMQ_PATCHES})
set(libzmq_patch_digest "")
foreach(patch_file IN LISTS LIBZMQ_PATCHES)
  file(SHA256 "${patch_file}" patch_hash)
  string(SHA256 libzmq_patch_digest "${libzmq_patch_digest}${patch_hash}")
endforeach()
string(SUBSTRING "${libzmq_patch_digest}0000000000" 0 10 libzmq_patch_digest)
string(REPLACE ";" "|" libzmq_patch_list "${LIBZMQ_PATCHES}")

set(libzmq_prefix "${CMAKE_BINARY_DIR}/bundled/libzmq-${libzmq_patch_digest}")
# libzmq.a; libzmq.lib with MSVC, made by the step after ExternalProject_Add.
set(LIBZMQ_STATIC_LIBRARY "${BUNDLED_PREFIX}/lib/libzmq${CMAKE_STATIC_LIBRARY_SUFFIX}")
if(MSVC)
  set(libzmq_build_byproducts "")
else()
  set(libzmq_build_byproducts "${LIBZMQ_STATIC_LIBRARY}")
endif()
# __FILE__ in libzmq's assertions becomes `src/epoll.cpp`, as in upstream's own builds.
prefix_map_flags(libzmq_map "${CMAKE_BINARY_DIR}=build" "${libzmq_prefix}/src/libzmq/=")

ExternalProject_Add(libzmq
  URL "${libzmq_archive}"
  URL_HASH SHA256=${LIBZMQ_SHA256}
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
  DEPENDS libsodium
  LIST_SEPARATOR |
  PATCH_COMMAND ${CMAKE_COMMAND} "-DPATCHES=${libzmq_patch_list}" -P "${PROJECT_SOURCE_DIR}/cmake/ApplyPatches.cmake"
  PREFIX "${libzmq_prefix}"
  SOURCE_DIR "${libzmq_prefix}/src/libzmq"
  INSTALL_DIR "${BUNDLED_PREFIX}"
  CMAKE_ARGS
    -Wno-dev
    # libzmq 4.3.4 asks for a CMake policy level that CMake 4 no longer provides.
    -DCMAKE_POLICY_VERSION_MINIMUM=3.5
    -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_INSTALL_PREFIX=<INSTALL_DIR>
    -DCMAKE_INSTALL_LIBDIR=lib
    -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
    -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
    "-DCMAKE_C_FLAGS=${CMAKE_C_FLAGS} ${libzmq_map}"
    "-DCMAKE_CXX_FLAGS=${CMAKE_CXX_FLAGS} ${libzmq_map}"
    -DCMAKE_OSX_ARCHITECTURES=${CMAKE_OSX_ARCHITECTURES}
    -DCMAKE_OSX_DEPLOYMENT_TARGET=${CMAKE_OSX_DEPLOYMENT_TARGET}
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON
    -DCMAKE_MODULE_PATH=${PROJECT_SOURCE_DIR}/cmake/libzmq
    -DBUNDLED_PREFIX=${BUNDLED_PREFIX}
    -DBUILD_SHARED=OFF
    -DBUILD_STATIC=ON
    -DBUILD_TESTS=OFF
    -DWITH_PERF_TOOL=OFF
    -DENABLE_CPACK=OFF
    -DWITH_DOC=OFF
    -DWITH_DOCS=OFF
    -DWITH_LIBSODIUM=ON
    -DWITH_LIBSODIUM_STATIC=ON
    -DENABLE_CURVE=ON
    -DWITH_LIBBSD=OFF
    -DWITH_TLS=OFF
    -DWITH_NSS=OFF
    -DENABLE_DRAFTS=${ZMQ_DRAFT_API}
  BUILD_BYPRODUCTS ${libzmq_build_byproducts}
  LOG_CONFIGURE TRUE LOG_BUILD TRUE LOG_INSTALL TRUE LOG_OUTPUT_ON_FAILURE TRUE)

if(MSVC)
  # With MSVC, libzmq's CMake names the static library after the Visual Studio
  # toolset (only with a Visual Studio generator), the runtime and its version:
  # libzmq-v143-mt-s-4_3_4.lib, libzmq-mt-s-4_3_4.lib, "sgd" for a Debug build.
  # Everything here, and the link kit, uses the plain libzmq.lib.
  string(REPLACE "." "_" _zmq_version "${LIBZMQ_VERSION}")
  if(MSVC_IDE)
    # Built in the configuration of this build (multi-config generator).
    set(_zmq_msvc_name "libzmq-${CMAKE_VS_PLATFORM_TOOLSET}-mt-s$<$<CONFIG:Debug>:gd>-${_zmq_version}.lib")
  else()
    # Built as Release, whatever this build's type (CMAKE_BUILD_TYPE above).
    set(_zmq_msvc_name "libzmq-mt-s-${_zmq_version}.lib")
  endif()
  ExternalProject_Add_Step(libzmq plain_name
    COMMAND ${CMAKE_COMMAND} -E copy "<INSTALL_DIR>/lib/${_zmq_msvc_name}" "${LIBZMQ_STATIC_LIBRARY}"
    DEPENDEES install
    BYPRODUCTS "${LIBZMQ_STATIC_LIBRARY}")
endif()

ExternalProject_Get_Property(libzmq SOURCE_DIR)
set(LIBZMQ_LICENSES "${SOURCE_DIR}/COPYING" "${SOURCE_DIR}/COPYING.LESSER")

# One target for the rest of the build, whichever way libzmq was obtained.
file(MAKE_DIRECTORY "${BUNDLED_PREFIX}/include")
find_package(Threads REQUIRED)
add_library(zmq_libzmq INTERFACE)
add_dependencies(zmq_libzmq libzmq)
target_include_directories(zmq_libzmq INTERFACE "${BUNDLED_PREFIX}/include")
target_link_libraries(zmq_libzmq INTERFACE
  "${LIBZMQ_STATIC_LIBRARY}" "${LIBSODIUM_STATIC_LIBRARY}" Threads::Threads)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  target_link_libraries(zmq_libzmq INTERFACE rt)
elseif(WIN32)
  # Winsock and the adapter list (libzmq), RtlGenRandom (libsodium).
  target_link_libraries(zmq_libzmq INTERFACE ws2_32 iphlpapi advapi32)
endif()
set(LIBZMQ_INCLUDE_DIR "${BUNDLED_PREFIX}/include")
set(LIBZMQ_HEADER_DEPENDS libzmq)
