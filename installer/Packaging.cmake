# Install rules and the Debian package (cpack -G DEB from the build directory). Included at the end of
# the top-level CMakeLists.txt, so every target (also the optional tray) is known here.
# One package, oco-agent: the service, the tray app when it is built, and everything around them.

set(OCO_PACKAGE_REVISION "1" CACHE STRING
    "Debian revision of the package (after the dash); OCO_PACKAGE_REVISION in cpack's environment overrides it")
set(OCO_PACKAGE_VERSION_SUFFIX "" CACHE STRING "Appended to the upstream version of the package, e.g. +site1")
set(OCO_PACKAGE_MAINTAINER "OCO agent maintainers <oco-agent@localhost>" CACHE STRING "Maintainer field")
# Debian 12 packages put units under /lib (usrmerge makes it the same as /usr/lib).
set(OCO_SYSTEMD_UNIT_DIR "/lib/systemd/system" CACHE PATH "Where the systemd unit is installed")

set(_oco_inst ${CMAKE_CURRENT_LIST_DIR})
set(_oco_debian ${CMAKE_BINARY_DIR}/installer/debian)
file(MAKE_DIRECTORY ${_oco_debian})

# --- the service ---------------------------------------------------------------------------------------
install(FILES ${_oco_inst}/oco-agent.service DESTINATION ${OCO_SYSTEMD_UNIT_DIR})
# The default configuration: the postinst copies it to /etc/oco-agent.ini (0600) when that is missing.
install(FILES ${_oco_inst}/oco-agent.ini DESTINATION share/oco-agent)
install(DIRECTORY DESTINATION /var/lib/oco-agent DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
# Service check scripts (AGENT-BEHAVIOUR §12): empty, for the admin to fill. The agent reads
# /usr/lib/oco-agent/service-checks, which merged /usr makes the same directory. It is shipped under the
# official package's path: shipped under /usr/lib, an upgrade from that package would delete it, because
# dpkg compares path names and removes the old package's /lib/... directory when it is empty.
install(DIRECTORY DESTINATION /lib/oco-agent/service-checks)

# Man page, compressed as Debian expects (-n: no timestamp, so rebuilds are identical).
find_program(OCO_GZIP gzip REQUIRED)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/installer/oco-agent.8.gz
                   COMMAND ${OCO_GZIP} -9 -n -c ${_oco_inst}/oco-agent.8 > ${CMAKE_BINARY_DIR}/installer/oco-agent.8.gz
                   DEPENDS ${_oco_inst}/oco-agent.8 VERBATIM)
add_custom_target(oco-manpage ALL DEPENDS ${CMAKE_BINARY_DIR}/installer/oco-agent.8.gz)
install(FILES ${CMAKE_BINARY_DIR}/installer/oco-agent.8.gz DESTINATION share/man/man8)
install(FILES ${_oco_inst}/README.md DESTINATION share/doc/oco-agent)

# --- the tray app (built by ui/ when OCO_BUILD_TRAY is on; optional until it exists) ------------------
set(_oco_conffiles "")
set(_oco_recommends "")
set(_oco_res ${CMAKE_SOURCE_DIR}/resources)
if(TARGET oco-tray)
    install(TARGETS oco-tray RUNTIME DESTINATION bin)
    # Qt needs a platform plugin (xcb/wayland) to show anything; it is loaded at run time. Qt's own strings
    # (Close, Cancel) come translated from qt6-translations-l10n.
    set(_oco_recommends "qt6-qpa-plugins, qt6-translations-l10n")
endif()
if(EXISTS ${_oco_res}/oco-tray.desktop)
    install(FILES ${_oco_res}/oco-tray.desktop DESTINATION share/applications)
endif()
if(EXISTS ${_oco_res}/oco-tray-autostart.desktop)
    install(FILES ${_oco_res}/oco-tray-autostart.desktop DESTINATION /etc/xdg/autostart RENAME oco-tray.desktop)
    # The admin may disable the autostart (Hidden=true); dpkg keeps that change.
    string(APPEND _oco_conffiles "/etc/xdg/autostart/oco-tray.desktop\n")
endif()
if(IS_DIRECTORY ${_oco_res}/icons/hicolor)
    install(DIRECTORY ${_oco_res}/icons/hicolor DESTINATION share/icons
            FILES_MATCHING PATTERN "*.png" PATTERN "*.svg")
endif()
# Translations not compiled into the tray: .qm files in resources/translations, or listed by ui/ in
# OCO_TRAY_QM_FILES (e.g. the QM_FILES_OUTPUT_VARIABLE of qt_add_translations).
file(GLOB _oco_qm ${_oco_res}/translations/*.qm)
list(APPEND _oco_qm ${OCO_TRAY_QM_FILES})
if(_oco_qm)
    install(FILES ${_oco_qm} DESTINATION share/oco-agent/translations)
endif()

# --- maintainer scripts ---------------------------------------------------------------------------------
set(_oco_control)
foreach(_f config templates postinst prerm postrm)
    configure_file(${_oco_inst}/debian/${_f} ${_oco_debian}/${_f} COPYONLY)
    list(APPEND _oco_control ${_oco_debian}/${_f})
endforeach()
if(_oco_conffiles)
    file(WRITE ${_oco_debian}/conffiles "${_oco_conffiles}")
    list(APPEND _oco_control ${_oco_debian}/conffiles)
else()
    file(REMOVE ${_oco_debian}/conffiles)
endif()

# --- CPack -----------------------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME oco-agent)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION}${OCO_PACKAGE_VERSION_SUFFIX})
set(CPACK_PACKAGE_VENDOR "OCO agent")
set(CPACK_PACKAGE_CONTACT ${OCO_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "agent for OCO (Open Computer Orchestration)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
if(NOT CMAKE_INSTALL_PREFIX STREQUAL CPACK_PACKAGING_INSTALL_PREFIX)
    message(WARNING "CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}: the Debian package installs under /usr, but "
                    "the service looks for its helpers under ${CMAKE_INSTALL_PREFIX}/libexec/oco-agent")
endif()
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${OCO_PACKAGE_REVISION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${OCO_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "The oco-agent service contacts an OCO server, uploads the computer's
inventory, runs the software jobs the server assigns and performs restarts
and shutdowns. The oco-tray app shows its state to the logged-in users.

The server address and the agent key can be preseeded (debconf) or given in
the environment at install time; an existing /etc/oco-agent.ini of the
official agent is taken over as it is.")
# Library dependencies come from dpkg-shlibdeps; the maintainer scripts need debconf; libcrypto.so.3 and
# libsqlite3.so.0 are loaded at run time (password rotation, wtmpdb), so dpkg-shlibdeps cannot see them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "debconf (>= 0.5) | debconf-2.0, libssl3, libsqlite3-0")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "${_oco_recommends}")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${_oco_control})
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Read by cpack at packaging time: lets a rebuild bump the revision without reconfiguring.
set(CPACK_PROJECT_CONFIG_FILE ${_oco_inst}/CPackOptions.cmake)
include(CPack)
