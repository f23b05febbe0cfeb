# Found first by libzmq's own CMake (through CMAKE_MODULE_PATH), so that its CURVE
# support uses the libsodium built next to it rather than any system copy.
set(SODIUM_INCLUDE_DIRS "${BUNDLED_PREFIX}/include")
# libsodium.a; libsodium.lib with MSVC (cmake/libsodium names it so).
set(SODIUM_LIBRARIES "${BUNDLED_PREFIX}/lib/libsodium${CMAKE_STATIC_LIBRARY_SUFFIX}")
set(SODIUM_FOUND TRUE)
