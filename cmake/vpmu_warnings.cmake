# Warning policy of vpmu's own builds (tests, examples, benchmarks, header checks). Never applied
# to the vpmu INTERFACE target, so consumers keep their own flags.
set(VPMU_WARNING_FLAGS -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror)

function(vpmu_apply_warnings_to_directory)
  add_compile_options(${VPMU_WARNING_FLAGS})
  if(VPMU_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
  endif()
endfunction()
