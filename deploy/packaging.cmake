# packaging: install rules and Debian packages (CPack DEB), one per role.
#
#   service-center-common   the browser UI, the users (sysusers.d), the docs
#   service-center-server   queue-server, its units (server, backup timer)
#   service-center-kiosk    kiosk and center-print, the cage session, udev rules for printers and scanners
#   service-center-display  display and its voice pack, the cage session
#
# Runtime library dependencies come from dpkg-shlibdeps (Debian's own names and
# versions); the rest are named here. Config lives in /etc/service-center (made
# by postinst, filled by `queue-server setup`), data in /var/lib (systemd's
# StateDirectory=), logs in the journal. Build with `./center package`.
set(CENTER_SHARE share/service-center)
set(DEPLOY ${PROJECT_SOURCE_DIR}/deploy)

install(TARGETS queue-server RUNTIME DESTINATION bin COMPONENT server)
install(FILES ${DEPLOY}/systemd/queue-server.service ${DEPLOY}/systemd/queue-server-backup.service
              ${DEPLOY}/systemd/queue-server-backup.timer DESTINATION lib/systemd/system COMPONENT server)
# Examples and defaults under share/, not share/doc/: minimal systems drop docs (dpkg path-exclude).
install(FILES ${DEPLOY}/center.example.toml DESTINATION ${CENTER_SHARE}/examples COMPONENT server)
install(FILES ${DEPLOY}/default/queue-server DESTINATION ${CENTER_SHARE}/examples RENAME queue-server.default COMPONENT server)
install(FILES ${DEPLOY}/OPERATING.md DESTINATION share/doc/service-center-server COMPONENT server)

install(TARGETS kiosk center-print RUNTIME DESTINATION bin COMPONENT kiosk)
install(FILES ${DEPLOY}/systemd/center-kiosk.service DESTINATION lib/systemd/system COMPONENT kiosk)
install(FILES ${DEPLOY}/udev/60-service-center.rules DESTINATION lib/udev/rules.d COMPONENT kiosk)
install(FILES ${DEPLOY}/kiosk.example.toml DESTINATION ${CENTER_SHARE}/examples COMPONENT kiosk)
install(FILES ${DEPLOY}/OPERATING.md DESTINATION share/doc/service-center-kiosk COMPONENT kiosk)

install(TARGETS display RUNTIME DESTINATION bin COMPONENT display)
install(DIRECTORY ${DISPLAY_VOICE_PACK}/ DESTINATION ${CENTER_SHARE}/voice-pack COMPONENT display)
install(FILES ${DEPLOY}/systemd/center-display.service DESTINATION lib/systemd/system COMPONENT display)
install(FILES ${DEPLOY}/display.example.toml DESTINATION ${CENTER_SHARE}/examples COMPONENT display)
install(FILES ${DEPLOY}/OPERATING.md DESTINATION share/doc/service-center-display COMPONENT display)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/dist/ DESTINATION ${CENTER_SHARE}/web COMPONENT common)
install(FILES ${DEPLOY}/sysusers/service-center.conf DESTINATION lib/sysusers.d COMPONENT common)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${DEPLOY}/OPERATING.md DESTINATION share/doc/service-center-common COMPONENT common)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME service-center)
set(CPACK_PACKAGE_VENDOR "Service center project")
set(CPACK_PACKAGE_CONTACT "Service center maintainers <center@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL common server kiosk display)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://localhost/service-center")
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS OFF)
set(same "service-center-common (= ${PROJECT_VERSION})")

set(CPACK_DEBIAN_COMMON_PACKAGE_NAME service-center-common)
set(CPACK_DEBIAN_COMMON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_COMMON_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_COMMON_PACKAGE_CONTROL_EXTRA ${DEPLOY}/debian/common/postinst)
set(CPACK_COMPONENT_COMMON_DESCRIPTION "Public-service center: shared files\n The browser UI (counter console, manager dashboard, admin, rating tablet), the\n system users and the operator's guide.")

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME service-center-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "${same}, systemd, tzdata")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "sqlite3")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA "${DEPLOY}/debian/server/postinst;${DEPLOY}/debian/server/prerm;${DEPLOY}/debian/server/postrm")
set(CPACK_COMPONENT_SERVER_DESCRIPTION "Public-service center: the queue server\n Issues numbered tickets, assigns them to counters, streams every change to\n displays and consoles, keeps an append-only log in SQLite, backs itself up.")

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME service-center-kiosk)
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "${same}, cage, fonts-noto-core, systemd")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA "${DEPLOY}/debian/kiosk/postinst;${DEPLOY}/debian/kiosk/prerm;${DEPLOY}/debian/kiosk/postrm")
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "Public-service center: the touch kiosk\n Takes numbered tickets and prints them on a thermal printer, searches the\n procedure catalog, looks up dossiers; full screen on boot under cage.")

set(CPACK_DEBIAN_DISPLAY_PACKAGE_NAME service-center-display)
set(CPACK_DEBIAN_DISPLAY_PACKAGE_DEPENDS "${same}, cage, fonts-noto-core, systemd")
set(CPACK_DEBIAN_DISPLAY_PACKAGE_CONTROL_EXTRA "${DEPLOY}/debian/display/postinst;${DEPLOY}/debian/display/prerm;${DEPLOY}/debian/display/postrm")
set(CPACK_COMPONENT_DISPLAY_DESCRIPTION "Public-service center: the hall display\n Shows and speaks each call in Vietnamese (\"Mời công dân có số 105 đến quầy\n số 3\"); full screen on boot under cage.")

include(CPack)
