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

string(REPLACE "," ";" ZMQ_BUNDLE_FETCH_METHODS "${ZMQ_BUNDLE_FETCH}")
list(REMOVE_ITEM ZMQ_BUNDLE_FETCH_METHODS none "")

message(STATUS "pyzmq: libzmq from ${ZMQ_LINK_MODE} (ZMQ_PREFIX=${ZMQ_PREFIX}), draft API ${ZMQ_DRAFT_API}")
