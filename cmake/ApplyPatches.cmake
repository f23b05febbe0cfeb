# Applies the patches named in PATCHES (a ;-list, in order) to the source tree
# in the current directory. Run as the ExternalProject patch step, i.e. once
# per fresh extraction, so a patch is never applied twice.
#
# `patch` where there is one (Linux, macOS); otherwise `git apply`, which works
# outside a git repository too (Windows runners have git, not patch).
find_program(PATCH_PROGRAM patch)
find_program(GIT_PROGRAM git)
foreach(patch_file IN LISTS PATCHES)
  message(STATUS "Applying ${patch_file}")
  if(PATCH_PROGRAM)
    execute_process(COMMAND "${PATCH_PROGRAM}" -p1 --forward --batch -i "${patch_file}"
      RESULT_VARIABLE rc)
  elseif(GIT_PROGRAM)
    execute_process(COMMAND "${GIT_PROGRAM}" apply -p1 --whitespace=nowarn "${patch_file}"
      RESULT_VARIABLE rc)
  else()
    message(FATAL_ERROR "Neither patch nor git found: cannot apply ${patch_file}")
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${patch_file} does not apply to this source")
  endif()
endforeach()
