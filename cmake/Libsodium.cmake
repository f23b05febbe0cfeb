# libsodium: static, position-independent, from the pinned release archive, which
# ships a generated configure script. libzmq uses it for CURVE.

include(ExternalProject)
bundled_source(LIBSODIUM libsodium_archive)

cmake_host_system_information(RESULT _jobs QUERY NUMBER_OF_LOGICAL_CORES)
set(_sodium_source "${CMAKE_BINARY_DIR}/bundled/libsodium/src/libsodium")
prefix_map_flags(_sodium_map "${CMAKE_BINARY_DIR}=build" "${_sodium_source}/=")
set(_sodium_cflags "${CMAKE_C_FLAGS} -O2 ${_sodium_map}")
set(_sodium_host "")
if(APPLE AND CMAKE_OSX_ARCHITECTURES)
  foreach(arch IN LISTS CMAKE_OSX_ARCHITECTURES)
    string(APPEND _sodium_cflags " -arch ${arch}")
  endforeach()
  if(NOT CMAKE_OSX_ARCHITECTURES STREQUAL CMAKE_HOST_SYSTEM_PROCESSOR)
    # Cross (or universal) builds: configure must not try to run test programs.
    set(_sodium_host --host=${CMAKE_HOST_SYSTEM_PROCESSOR}-apple-darwin)
  endif()
endif()
if(CMAKE_OSX_DEPLOYMENT_TARGET)
  string(APPEND _sodium_cflags " -mmacosx-version-min=${CMAKE_OSX_DEPLOYMENT_TARGET}")
endif()

ExternalProject_Add(libsodium
  URL "${libsodium_archive}"
  URL_HASH SHA256=${LIBSODIUM_SHA256}
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
  PREFIX "${CMAKE_BINARY_DIR}/bundled/libsodium"
  SOURCE_DIR "${_sodium_source}"
  INSTALL_DIR "${BUNDLED_PREFIX}"
  CONFIGURE_COMMAND <SOURCE_DIR>/configure --prefix=<INSTALL_DIR> --libdir=<INSTALL_DIR>/lib
    --disable-shared --enable-static --with-pic --disable-dependency-tracking
    ${_sodium_host} "CC=${CMAKE_C_COMPILER}" "CFLAGS=${_sodium_cflags}"
  BUILD_COMMAND make -j${_jobs}
  INSTALL_COMMAND make install
  BUILD_BYPRODUCTS "${BUNDLED_PREFIX}/lib/libsodium.a"
  LOG_CONFIGURE TRUE LOG_BUILD TRUE LOG_INSTALL TRUE LOG_OUTPUT_ON_FAILURE TRUE)

ExternalProject_Get_Property(libsodium SOURCE_DIR)
set(LIBSODIUM_LICENSE "${SOURCE_DIR}/LICENSE")
