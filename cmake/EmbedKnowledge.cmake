# clincode_embed_knowledge(OUTPUT file.cc FILES a.tsv b.tsv ...)
# Generates a C++ source defining clincode::embedded::Find(name) over the files' bytes. The generation runs at
# build time through cmake -P so an edit to a knowledge file rebuilds the library.
function(clincode_embed_knowledge)
  cmake_parse_arguments(ARG "" "OUTPUT" "FILES" ${ARGN})
  set(inputs)
  foreach(f ${ARG_FILES})
    list(APPEND inputs ${CMAKE_CURRENT_SOURCE_DIR}/${f})
  endforeach()
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${ARG_OUTPUT} -DROOT=${CMAKE_CURRENT_SOURCE_DIR} "-DFILES=${ARG_FILES}"
            -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${inputs} ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding knowledge files"
    VERBATIM)
endfunction()
