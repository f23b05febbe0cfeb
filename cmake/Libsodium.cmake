# libsodium: static, position-independent, from the pinned release archive.
# libzmq uses it for CURVE. ZMQ_SODIUM_BUILD chooses how it is built: with the
# configure script the release ships (autotools), or with the CMake project in
# cmake/libsodium/ (cmake), the only way with MSVC, which cannot run configure.

include(ExternalProject)
bundled_source(LIBSODIUM libsodium_archive)

# libsodium.a; libsodium.lib with MSVC.
set(LIBSODIUM_STATIC_LIBRARY "${BUNDLED_PREFIX}/lib/libsodium${CMAKE_STATIC_LIBRARY_SUFFIX}")

if(ZMQ_SODIUM_BUILD STREQUAL "cmake")
  # The release has no CMake project: ours is copied into the extracted tree.
  # The tree is named after that file's contents, so editing it rebuilds
  # libsodium from a fresh extraction.
  set(_sodium_project "${PROJECT_SOURCE_DIR}/cmake/libsodium/CMakeLists.txt")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_sodium_project}")
  file(SHA256 "${_sodium_project}" _sodium_digest)
  string(SUBSTRING "${_sodium_digest}" 0 10 _sodium_digest)
  set(_sodium_prefix "${CMAKE_BINARY_DIR}/bundled/libsodium-cmake-${_sodium_digest}")
  set(_sodium_source "${_sodium_prefix}/src/libsodium")
  prefix_map_flags(_sodium_map "${CMAKE_BINARY_DIR}=build" "${_sodium_source}/=")
  string(REPLACE ";" "|" _sodium_archs "${CMAKE_OSX_ARCHITECTURES}")
  set(_sodium_compiler "")
  if(NOT CMAKE_GENERATOR MATCHES "^Visual Studio")
    # A Visual Studio generator picks the compiler from its toolset.
    set(_sodium_compiler -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER})
  endif()

  ExternalProject_Add(libsodium
    URL "${libsodium_archive}"
    URL_HASH SHA256=${LIBSODIUM_SHA256}
    DOWNLOAD_EXTRACT_TIMESTAMP TRUE
    LIST_SEPARATOR |
    PATCH_COMMAND ${CMAKE_COMMAND} -E copy "${_sodium_project}" <SOURCE_DIR>/CMakeLists.txt
    PREFIX "${_sodium_prefix}"
    SOURCE_DIR "${_sodium_source}"
    INSTALL_DIR "${BUNDLED_PREFIX}"
    CMAKE_ARGS
      -Wno-dev
      -DCMAKE_BUILD_TYPE=Release
      -DCMAKE_INSTALL_PREFIX=<INSTALL_DIR>
      ${_sodium_compiler}
      "-DCMAKE_C_FLAGS=${CMAKE_C_FLAGS} ${_sodium_map}"
      -DCMAKE_OSX_ARCHITECTURES=${_sodium_archs}
      -DCMAKE_OSX_DEPLOYMENT_TARGET=${CMAKE_OSX_DEPLOYMENT_TARGET}
      -DCMAKE_POSITION_INDEPENDENT_CODE=ON
    BUILD_BYPRODUCTS "${LIBSODIUM_STATIC_LIBRARY}"
    LOG_CONFIGURE TRUE LOG_BUILD TRUE LOG_INSTALL TRUE LOG_OUTPUT_ON_FAILURE TRUE)
else()
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
    BUILD_BYPRODUCTS "${LIBSODIUM_STATIC_LIBRARY}"
    LOG_CONFIGURE TRUE LOG_BUILD TRUE LOG_INSTALL TRUE LOG_OUTPUT_ON_FAILURE TRUE)
endif()

ExternalProject_Get_Property(libsodium SOURCE_DIR)
set(LIBSODIUM_LICENSE "${SOURCE_DIR}/LICENSE")
