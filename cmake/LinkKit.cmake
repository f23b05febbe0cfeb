# The link kit: what lets another extension compile against zmq.h and the .pxd
# files in the installed package and link the same libzmq the backend carries.
# zmq.get_includes() and zmq.get_library_dirs() point into it.

install(FILES "${LIBZMQ_INCLUDE_DIR}/zmq.h" "${LIBZMQ_INCLUDE_DIR}/zmq_utils.h"
        DESTINATION zmq/include)

if(ZMQ_LINK_MODE STREQUAL "bundled")
  # libzmq.a and libsodium.a; libzmq.lib and libsodium.lib with MSVC.
  set(_kit_libs "${LIBZMQ_STATIC_LIBRARY}" "${LIBSODIUM_STATIC_LIBRARY}")
  get_filename_component(KIT_LIBZMQ_FILE "${LIBZMQ_STATIC_LIBRARY}" NAME)
  get_filename_component(KIT_SODIUM_FILE "${LIBSODIUM_STATIC_LIBRARY}" NAME)
  install(FILES ${_kit_libs} DESTINATION zmq/lib)
  if(NOT APPLE AND NOT WIN32)
    # An extension that links libzmq.a shares the backend's libzmq only while
    # its zmq_* calls stay preemptible. Linked with -Bsymbolic-functions, as
    # Debian's and Ubuntu's Pythons link every setuptools extension (their
    # LDSHARED), it would call its own copy; -Wl,--dynamic-list=<this file>
    # exempts the zmq_* functions.
    file(WRITE "${CMAKE_BINARY_DIR}/libzmq.dynlist" "{\n  zmq_*;\n};\n")
    install(FILES "${CMAKE_BINARY_DIR}/libzmq.dynlist" DESTINATION zmq/lib)
  endif()
  if(CMAKE_STRIP)
    # Keep the wheel lean: debug info and local symbols are of no use to a linker.
    foreach(lib IN LISTS _kit_libs)
      get_filename_component(_name "${lib}" NAME)
      install(CODE "execute_process(COMMAND \"${CMAKE_STRIP}\" -S \"\${CMAKE_INSTALL_PREFIX}/zmq/lib/${_name}\")")
    endforeach()
  endif()

  # What libzmq.a needs besides libsodium and pthreads, for the pkg-config file
  # and the CMake package alike: the C++ runtime it was compiled against (a C
  # consumer's linker would not add it) and system libraries.
  if(APPLE)
    set(_kit_cxx_runtime c++)
  elseif(MSVC)
    # cl names its C and C++ runtimes in each object file; the linker adds them.
    set(_kit_cxx_runtime "")
  else()
    set(_kit_cxx_runtime stdc++)
  endif()
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    set(_kit_system_libs rt m)
  elseif(WIN32)
    # Winsock and the adapter list (libzmq), RtlGenRandom (libsodium).
    set(_kit_system_libs ws2_32 iphlpapi advapi32)
  else()
    set(_kit_system_libs m)
  endif()

  if(_kit_cxx_runtime)
    set(KIT_CXX_RUNTIME "-l${_kit_cxx_runtime}")
  else()
    set(KIT_CXX_RUNTIME "")
  endif()
  if(WIN32)
    set(_kit_pc_libs ${_kit_system_libs})
  else()
    set(_kit_pc_libs pthread ${_kit_system_libs})
  endif()
  list(TRANSFORM _kit_pc_libs PREPEND "-l")
  string(JOIN " " KIT_SYSTEM_LIBS ${_kit_pc_libs})
  configure_file("${PROJECT_SOURCE_DIR}/cmake/libzmq.pc.in" "${CMAKE_BINARY_DIR}/libzmq.pc" @ONLY)
  install(FILES "${CMAKE_BINARY_DIR}/libzmq.pc" DESTINATION zmq/lib/pkgconfig)

  # find_package(ZeroMQ CONFIG) finds this from the package directory as a
  # prefix (where scikit-build-core's cmake.prefix entry point points), or
  # with ZeroMQ_DIR=$(python -m zmq --cmakedir). Only in bundled mode: an
  # installed libzmq comes with a package of its own.
  set(KIT_CMAKE_LINK_LIBRARIES ${_kit_cxx_runtime} ${_kit_system_libs})
  configure_file("${PROJECT_SOURCE_DIR}/cmake/ZeroMQConfig.cmake.in"
                 "${CMAKE_BINARY_DIR}/cmake/ZeroMQConfig.cmake" @ONLY)
  include(CMakePackageConfigHelpers)
  # The compatibility libzmq's own package declares.
  write_basic_package_version_file("${CMAKE_BINARY_DIR}/cmake/ZeroMQConfigVersion.cmake"
                                   VERSION ${LIBZMQ_VERSION} COMPATIBILITY AnyNewerVersion)
  install(FILES "${CMAKE_BINARY_DIR}/cmake/ZeroMQConfig.cmake" "${CMAKE_BINARY_DIR}/cmake/ZeroMQConfigVersion.cmake"
          DESTINATION zmq/lib/cmake/ZeroMQ)

  install(FILES ${LIBZMQ_LICENSES} DESTINATION zmq/licenses/libzmq)
  install(FILES "${LIBSODIUM_LICENSE}" DESTINATION zmq/licenses/libsodium)
  set(KIT_LIBRARY_DIRS "")
else()
  set(KIT_LIBRARY_DIRS "${LIBZMQ_LIBRARY_DIR}")
endif()

configure_file("${PROJECT_SOURCE_DIR}/cmake/build_info.py.in" "${CMAKE_BINARY_DIR}/_build_info.py" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/_build_info.py" DESTINATION zmq)
