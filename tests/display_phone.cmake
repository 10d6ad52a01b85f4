# display_phone tests (issue 20); included from tests/CMakeLists.txt.
# The hall display's QR to the phone's queue page ({public_url}/m/q): the real
# queue-server with a [phone] table and the real display program full screen
# under Xvfb; zbar (Debian's libzbar-dev) reads the QR in its screenshots
# (build*/tests/display-phone-*.png); the layout at every size.
if(NOT TARGET PkgConfig::ZBAR)  # kiosk_phone.cmake may have found it already
  pkg_check_modules(ZBAR REQUIRED IMPORTED_TARGET zbar)
endif()
center_server_test(display_phone_test display_lib PkgConfig::SDL2_IMAGE PkgConfig::ZBAR)
target_compile_definitions(display_phone_test PRIVATE ACTUAL_DIR="${CMAKE_CURRENT_BINARY_DIR}"
                                                      DISPLAY_BIN="$<TARGET_FILE:display>"
                                                      CRASH_CENTER_TOML="${CMAKE_CURRENT_SOURCE_DIR}/data/crash-center.toml"
                                                      EXAMPLE_DISPLAY_TOML="${PROJECT_SOURCE_DIR}/deploy/display.example.toml")
add_dependencies(display_phone_test display)
