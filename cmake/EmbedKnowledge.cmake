# clincode_embed_knowledge(OUTPUT file.cc FILES a.tsv b.tsv ... [NAMESPACE ns])
# Generates a C++ source defining clincode::embedded::Find(name) over the files' bytes. The generation runs at
# build time through cmake -P so an edit to a knowledge file rebuilds the library.
function(clincode_embed_knowledge)
  cmake_parse_arguments(ARG "" "OUTPUT;NAMESPACE" "FILES" ${ARGN})
  if(NOT ARG_NAMESPACE)
    set(ARG_NAMESPACE clincode::embedded)
  endif()
  set(inputs)
  foreach(f ${ARG_FILES})
    list(APPEND inputs ${PROJECT_SOURCE_DIR}/${f})
  endforeach()
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${ARG_OUTPUT} -DROOT=${PROJECT_SOURCE_DIR} "-DFILES=${ARG_FILES}" -DNAMESPACE=${ARG_NAMESPACE}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${inputs} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding files into ${ARG_NAMESPACE}"
    VERBATIM)
endfunction()
