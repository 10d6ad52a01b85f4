# Writes a .cpp that holds a text file as a C++ string (the demo center config).
file(READ "${INPUT}" content)
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}: do not edit.\nnamespace api { extern const char* const ${NAME}; const char* const ${NAME} = R\"embed(${content})embed\"; }\n")
