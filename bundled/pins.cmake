# The pinned sources of the bundled libraries: the single place their versions,
# URLs and hashes live. Every byte that reaches the compiler is checked against
# the SHA256 here, whichever way it was obtained (see cmake/BundledSource.cmake).
#
# For each library:
#   _VERSION         upstream release
#   _URL             upstream tag archive
#   _ARCHIVE         file name of that archive in the download cache
#   _SHA256          hash of that archive
#   _DEBIAN_SOURCE   Debian source package whose .orig.tar.gz is byte-identical
#   _DEBIAN_VERSION  a Debian version of it carrying that tarball
#   _DEBIAN_SUITE    the Debian suite that serves that version

set(LIBZMQ_VERSION 4.3.4)
set(LIBZMQ_URL https://github.com/zeromq/libzmq/archive/refs/tags/v4.3.4.tar.gz)
set(LIBZMQ_ARCHIVE libzmq-4.3.4.tar.gz)
set(LIBZMQ_SHA256 0ff5a531c9ffaf0dfdc7dc78d13d1383088f454896d252934c429b2554d10559)
set(LIBZMQ_DEBIAN_SOURCE zeromq3)
set(LIBZMQ_DEBIAN_VERSION 4.3.4-6)
set(LIBZMQ_DEBIAN_SUITE bookworm)

set(LIBSODIUM_VERSION 1.0.22)
set(LIBSODIUM_URL https://github.com/jedisct1/libsodium/archive/refs/tags/1.0.22-RELEASE.tar.gz)
set(LIBSODIUM_ARCHIVE libsodium-1.0.22-RELEASE.tar.gz)
set(LIBSODIUM_SHA256 5838bb0c3da6148c24ebe531d1ed1297de9a87aea77d426bcd99f289e681631c)
set(LIBSODIUM_DEBIAN_SOURCE libsodium)
set(LIBSODIUM_DEBIAN_VERSION 1.0.22-2)
set(LIBSODIUM_DEBIAN_SUITE unstable)
