# Writes a .cpp that holds a text file as a C++ string (the demo center config, the synonyms).
if(NOT NAMESPACE)
  set(NAMESPACE api)
endif()
file(READ "${INPUT}" content)
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}: do not edit.\nnamespace ${NAMESPACE} { extern const char* const ${NAME}; const char* const ${NAME} = R\"embed(${content})embed\"; }\n")
