# phone tests (issue 20); included from tests/CMakeLists.txt.
# The citizen's phone app (web/src/phone) in Debian's chromium at a phone's
# size, slow-3G-like for the first render, against the real queue-server
# process: follow, alert, leave, late, English, large text, kill -9 and
# restart, procedures, dossiers, the hall queue, page weight and axe-core.
add_test(NAME "browser: phone pages in chromium against a real server"
         COMMAND node --test --test-concurrency=1 tests/phone.test.js
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/web)
set_tests_properties("browser: phone pages in chromium against a real server" PROPERTIES
                     TIMEOUT 600 ENVIRONMENT "QUEUE_SERVER=$<TARGET_FILE:queue-server>")
# Booking a visit from the phone (issue 21): the code read from the demo's file sender, the booking's page, move, cancel, axe-core.
add_test(NAME "browser: booking from the phone in chromium against a real server"
         COMMAND node --test --test-concurrency=1 tests/booking.test.js
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/web)
set_tests_properties("browser: booking from the phone in chromium against a real server" PROPERTIES
                     TIMEOUT 600 ENVIRONMENT "QUEUE_SERVER=$<TARGET_FILE:queue-server>")
