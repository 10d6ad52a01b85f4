# public tests (issue 20); included from tests/CMakeLists.txt.
# The engine's side of the phone: "I'll be late" (back N places, once, exact on replay) and the follow hash.
center_test(public_engine_test engine)
# Following a ticket from a phone against a real server: key, view, live stream, leave, late, 404s, privacy, restart.
center_test(public_follow_test api)
# The other phone routes: notify through the message sink, the hall's queue, catalog, dossiers; the [phone] config.
center_test(public_routes_test api)
# The phones' rate limits: the limiter with injected time, and the real server per address, before the body.
center_test(public_limits_test api)
# The queue-server program sends the messages its [phone] senders name; the managers' status; trusted proxies.
center_server_test(public_app_test api notify)
target_compile_definitions(public_app_test PRIVATE DEMO_CENTER_TOML="${PROJECT_SOURCE_DIR}/assets/demo-center.toml")
# Booking from a phone against a real server: services, slots, a code through the real notifier, check-in, privacy (issue 21).
center_test(public_booking_test api notify)
