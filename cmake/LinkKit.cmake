# The link kit: what lets another extension compile against zmq.h and the .pxd
# files in the installed package and link the same libzmq the backend carries.
# zmq.get_includes() and zmq.get_library_dirs() point into it.

install(FILES "${LIBZMQ_INCLUDE_DIR}/zmq.h" "${LIBZMQ_INCLUDE_DIR}/zmq_utils.h"
        DESTINATION zmq/include)

if(ZMQ_LINK_MODE STREQUAL "bundled")
  set(_kit_libs "${BUNDLED_PREFIX}/lib/libzmq.a" "${BUNDLED_PREFIX}/lib/libsodium.a")
  install(FILES ${_kit_libs} DESTINATION zmq/lib)
  if(CMAKE_STRIP)
    # Keep the wheel lean: debug info and local symbols are of no use to a linker.
    foreach(lib IN LISTS _kit_libs)
      get_filename_component(_name "${lib}" NAME)
      install(CODE "execute_process(COMMAND \"${CMAKE_STRIP}\" -S \"\${CMAKE_INSTALL_PREFIX}/zmq/lib/${_name}\")")
    endforeach()
  endif()

  if(APPLE)
    set(KIT_CXX_RUNTIME "-lc++")
  else()
    set(KIT_CXX_RUNTIME "-lstdc++")
  endif()
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    set(KIT_SYSTEM_LIBS "-lpthread -lrt -lm")
  else()
    set(KIT_SYSTEM_LIBS "-lpthread -lm")
  endif()
  configure_file("${PROJECT_SOURCE_DIR}/cmake/libzmq.pc.in" "${CMAKE_BINARY_DIR}/libzmq.pc" @ONLY)
  install(FILES "${CMAKE_BINARY_DIR}/libzmq.pc" DESTINATION zmq/lib/pkgconfig)

  install(FILES ${LIBZMQ_LICENSES} DESTINATION zmq/licenses/libzmq)
  install(FILES "${LIBSODIUM_LICENSE}" DESTINATION zmq/licenses/libsodium)
  set(KIT_LIBRARY_DIRS "")
else()
  set(KIT_LIBRARY_DIRS "${LIBZMQ_LIBRARY_DIR}")
endif()

configure_file("${PROJECT_SOURCE_DIR}/cmake/build_info.py.in" "${CMAKE_BINARY_DIR}/_build_info.py" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/_build_info.py" DESTINATION zmq)
