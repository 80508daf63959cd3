# Fails when a file outside the platform folders includes a POSIX or Linux header (docs/PORTING.md).
# Run by every build (target oco_portability_check): cmake -DSOURCE_DIR=<top> -P check-portable.cmake
set(OCO_OS_HEADERS "unistd|fcntl|pwd|grp|signal|dirent|poll|termios|utmp|utmpx|shadow|crypt|dlfcn|ifaddrs|netdb|syslog|spawn|mntent|sys/[a-z_]+|net/[a-z_]+|netinet/[a-z_]+|arpa/[a-z_]+|linux/[a-z_]+|xcb/[a-z_]+|X11/[A-Za-z_]+|windows|winsock2|CoreFoundation/[A-Za-z]+|IOKit/[A-Za-z/]+")
file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/app/*.cpp ${SOURCE_DIR}/app/*.h ${SOURCE_DIR}/ui/*.cpp
     ${SOURCE_DIR}/ui/*.h)
set(bad "")
foreach(f IN LISTS files)
    if(f MATCHES "^(app|ui)/platform/[a-z]+/")
        continue()
    endif()
    file(STRINGS ${SOURCE_DIR}/${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*<(${OCO_OS_HEADERS})\\.h>")
    foreach(l IN LISTS lines)
        string(STRIP "${l}" l)
        list(APPEND bad "${f}: ${l}")
    endforeach()
endforeach()
if(bad)
    list(JOIN bad "\n  " text)
    message(FATAL_ERROR "Operating-system headers outside app/platform/<os>/ and ui/platform/<os>/ "
                        "(move the code behind a platform header):\n  ${text}")
endif()
