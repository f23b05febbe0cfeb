# bundled_source(<NAME> <out_var>): path of the verified source archive of the
# bundled library NAME (LIBZMQ or LIBSODIUM, as in bundled/pins.cmake).
#
# Order: the cache directory, then each method in ZMQ_BUNDLE_FETCH. Whatever the
# source, the archive is checked against the pinned SHA256 before it is used, and
# a fetched archive is kept in the cache so later builds need no network.

function(_bundled_check_hash file expected)
  file(SHA256 "${file}" actual)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR
      "SHA256 mismatch for bundled source archive\n"
      "  file:     ${file}\n"
      "  expected: ${expected}\n"
      "  actual:   ${actual}\n"
      "Delete the file, or replace it with the pinned archive (see bundled/pins.cmake).")
  endif()
endfunction()

function(_bundled_writable_cache out_var)
  file(MAKE_DIRECTORY "${ZMQ_BUNDLE_CACHE}")
  set(probe "${ZMQ_BUNDLE_CACHE}/.write-probe")
  file(TOUCH "${probe}" RESULT _ignored)
  if(EXISTS "${probe}")
    file(REMOVE "${probe}")
    set(${out_var} "${ZMQ_BUNDLE_CACHE}" PARENT_SCOPE)
  else()
    # A read-only source tree still builds; the archive is then kept per build dir.
    set(${out_var} "${CMAKE_BINARY_DIR}/bundled-cache" PARENT_SCOPE)
  endif()
endfunction()

function(_bundled_fetch_url name dest out_ok)
  set(partial "${dest}.part")
  message(STATUS "Downloading ${${name}_URL}")
  file(DOWNLOAD "${${name}_URL}" "${partial}" STATUS status
       TIMEOUT 600 INACTIVITY_TIMEOUT 30 TLS_VERIFY ON)
  list(GET status 0 code)
  if(NOT code EQUAL 0)
    list(GET status 1 reason)
    message(STATUS "  download failed: ${reason}")
    file(REMOVE "${partial}")
    set(${out_ok} FALSE PARENT_SCOPE)
    return()
  endif()
  _bundled_check_hash("${partial}" "${${name}_SHA256}")
  file(RENAME "${partial}" "${dest}")
  set(${out_ok} TRUE PARENT_SCOPE)
endfunction()

function(_bundled_fetch_debian name dest out_ok)
  set(${out_ok} FALSE PARENT_SCOPE)
  find_program(APT_GET apt-get)
  if(NOT APT_GET)
    message(STATUS "  no apt-get: Debian source packages unavailable")
    return()
  endif()
  message(STATUS "Fetching Debian source package ${${name}_DEBIAN_SOURCE} ${${name}_DEBIAN_VERSION}")
  execute_process(
    COMMAND "${Python_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tools/debian_source.py"
            --package "${${name}_DEBIAN_SOURCE}"
            --version "${${name}_DEBIAN_VERSION}"
            --suite "${${name}_DEBIAN_SUITE}"
            --state "${CMAKE_BINARY_DIR}/debian-apt"
            --dest "${dest}.part"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(STATUS "  Debian source package not obtained")
    file(REMOVE "${dest}.part")
    return()
  endif()
  _bundled_check_hash("${dest}.part" "${${name}_SHA256}")
  file(RENAME "${dest}.part" "${dest}")
  set(${out_ok} TRUE PARENT_SCOPE)
endfunction()

function(bundled_source name out_var)
  set(archive "${${name}_ARCHIVE}")
  foreach(dir IN ITEMS "${ZMQ_BUNDLE_CACHE}" "${CMAKE_BINARY_DIR}/bundled-cache")
    if(EXISTS "${dir}/${archive}")
      _bundled_check_hash("${dir}/${archive}" "${${name}_SHA256}")
      set(${out_var} "${dir}/${archive}" PARENT_SCOPE)
      return()
    endif()
  endforeach()

  _bundled_writable_cache(cache)
  foreach(method IN LISTS ZMQ_BUNDLE_FETCH_METHODS)
    if(NOT method MATCHES "^(url|debian)$")
      message(FATAL_ERROR "ZMQ_BUNDLE_FETCH: unknown method '${method}' (use url, debian or none)")
    endif()
    cmake_language(CALL _bundled_fetch_${method} ${name} "${cache}/${archive}" ok)
    if(ok)
      set(${out_var} "${cache}/${archive}" PARENT_SCOPE)
      return()
    endif()
  endforeach()

  message(FATAL_ERROR
    "Could not obtain the source archive of ${name} ${${name}_VERSION}.\n"
    "Tried: the cache ${ZMQ_BUNDLE_CACHE}, then fetch methods [${ZMQ_BUNDLE_FETCH}].\n"
    "Supply it by hand: download\n  ${${name}_URL}\n"
    "and save it as\n  ${ZMQ_BUNDLE_CACHE}/${archive}\n"
    "(or set ZMQ_BUNDLE_CACHE to a directory holding it). Expected SHA256:\n  ${${name}_SHA256}\n"
    "On Debian, the .orig.tar.gz of source package ${${name}_DEBIAN_SOURCE} ${${name}_DEBIAN_VERSION} is the same file.\n"
    "Or link an installed libzmq instead with ZMQ_PREFIX=system.")
endfunction()
