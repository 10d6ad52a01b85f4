# kiosk_phone tests (issue 20); included from tests/CMakeLists.txt.
# The kiosk's side of the citizen's phone: the ticket's QR (read back from the
# printed raster by zbar: Debian's libzbar-dev) is the server's follow URL, and
# messages asked for with touches on the digits pad, against a real server and
# its real notifier (file sender); golden screenshots of the phone screen.
pkg_check_modules(ZBAR REQUIRED IMPORTED_TARGET zbar)
center_test(kiosk_phone_test kiosk_lib api notify PkgConfig::SDL2_IMAGE PkgConfig::ZBAR)
target_compile_definitions(kiosk_phone_test PRIVATE GOLDEN_DIR="${CMAKE_CURRENT_SOURCE_DIR}/golden"
                                                    ACTUAL_DIR="${CMAKE_CURRENT_BINARY_DIR}"
                                                    KIOSK_SOURCE_DIR="${PROJECT_SOURCE_DIR}/kiosk")
