# public tests (issue 20); included from tests/CMakeLists.txt.
# The engine's side of the phone: "I'll be late" (back N places, once, exact on replay) and the follow hash.
center_test(public_engine_test engine)
# Following a ticket from a phone against a real server: key, view, live stream, leave, late, 404s, privacy, restart.
center_test(public_follow_test api)
# The other phone routes: notify through the message sink, the hall's queue, catalog, dossiers; the [phone] config.
center_test(public_routes_test api)
