# Evaluated by cpack when it builds the package (CPACK_PROJECT_CONFIG_FILE).
# OCO_PACKAGE_REVISION=2 cpack -G DEB  builds oco-agent_<version>-2 from the same build, e.g. to test
# an upgrade, without touching the build directory's cache.
if(DEFINED ENV{OCO_PACKAGE_REVISION} AND NOT "$ENV{OCO_PACKAGE_REVISION}" STREQUAL "")
    set(CPACK_DEBIAN_PACKAGE_RELEASE "$ENV{OCO_PACKAGE_REVISION}")
endif()
