# notify tests (issue 20); included from tests/CMakeLists.txt.
