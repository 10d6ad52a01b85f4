# notify tests (issue 20); included from tests/CMakeLists.txt.
# The pure parts: phone and e-mail checks and masks, templates, encoded words, the sender config.
center_test(notify_contact_test notify store PkgConfig::SODIUM)
# Phone messages through a real HTTP gateway on loopback: texts, retries, refusals, a hang, a restart, the day's close.
center_test(notify_gateway_test notify store Boost::headers Threads::Threads)
# E-mail through a real SMTP server (python3-aiosmtpd), read back by Python's e-mail parser.
center_test(notify_smtp_test notify store Threads::Threads)
# Signed webhooks of every event from the log: a receiver down then up, a held request, a restart, signatures checked by hand.
center_test(notify_webhook_test notify store Boost::headers PkgConfig::SODIUM Threads::Threads)
# A booking's reminders: when they are due (pure), and sent by the real notifier as the clock moves, forgotten with the day.
center_test(notify_reminder_test notify store Threads::Threads)
