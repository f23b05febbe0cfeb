# Build options. Each can be given as an environment variable (what `pip install`
# users reach for) or as a CMake definition (`-Ccmake.define.NAME=...`); the
# definition wins. All are documented in README.md.

function(zmq_option name default doc)
  if(DEFINED ${name})
    set(value "${${name}}")
  elseif(DEFINED ENV{${name}})
    set(value "$ENV{${name}}")
  else()
    set(value "${default}")
  endif()
  # Re-read on every configure so a reused build directory follows the environment.
  set(${name} "${value}" CACHE STRING "${doc}" FORCE)
endfunction()

zmq_option(ZMQ_PREFIX "bundled"
  "'bundled' (default): build libzmq and libsodium from pinned sources; 'system' or a prefix: link an existing libzmq")
zmq_option(ZMQ_DRAFT_API "0" "1 to build and expose libzmq's draft API")
zmq_option(ZMQ_BUNDLE_CACHE "${PROJECT_SOURCE_DIR}/bundled/cache"
  "directory searched first for the pinned source archives, and where fetched ones are kept")
zmq_option(ZMQ_BUNDLE_FETCH "url,debian"
  "ordered ways to fetch a missing archive: url, debian; empty or 'none' for cache only")
# libsodium's configure script needs a POSIX shell and make, which a Windows
# build has not got.
if(WIN32)
  set(_sodium_build_default cmake)
else()
  set(_sodium_build_default autotools)
endif()
zmq_option(ZMQ_SODIUM_BUILD "${_sodium_build_default}"
  "how the bundled libsodium is built: 'autotools' (its configure script) or 'cmake' (cmake/libsodium)")

if(ZMQ_PREFIX STREQUAL "" OR ZMQ_PREFIX STREQUAL "bundled")
  set(ZMQ_LINK_MODE bundled)
else()
  set(ZMQ_LINK_MODE system)
endif()

if(ZMQ_DRAFT_API MATCHES "^(1|ON|on|TRUE|true|YES|yes)$")
  set(ZMQ_DRAFT_API ON)
else()
  set(ZMQ_DRAFT_API OFF)
endif()

if(ZMQ_SODIUM_BUILD STREQUAL "")
  set(ZMQ_SODIUM_BUILD ${_sodium_build_default})
elseif(NOT ZMQ_SODIUM_BUILD MATCHES "^(autotools|cmake)$")
  message(FATAL_ERROR "ZMQ_SODIUM_BUILD: unknown value '${ZMQ_SODIUM_BUILD}' (use autotools or cmake)")
elseif(ZMQ_SODIUM_BUILD STREQUAL "autotools" AND MSVC)
  message(FATAL_ERROR "ZMQ_SODIUM_BUILD=autotools: libsodium's configure script cannot drive MSVC; use cmake")
endif()

string(REPLACE "," ";" ZMQ_BUNDLE_FETCH_METHODS "${ZMQ_BUNDLE_FETCH}")
list(REMOVE_ITEM ZMQ_BUNDLE_FETCH_METHODS none "")

message(STATUS "pyzmq: libzmq from ${ZMQ_LINK_MODE} (ZMQ_PREFIX=${ZMQ_PREFIX}), draft API ${ZMQ_DRAFT_API}")
if(ZMQ_LINK_MODE STREQUAL "bundled")
  message(STATUS "pyzmq: libsodium built with ${ZMQ_SODIUM_BUILD} (ZMQ_SODIUM_BUILD)")
endif()
