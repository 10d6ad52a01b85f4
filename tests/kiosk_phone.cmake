# kiosk_phone tests (issue 20); included from tests/CMakeLists.txt.
