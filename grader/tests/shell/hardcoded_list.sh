#!/bin/sh
# A wrong answer to exercise 02 in a shell script: a list written into the script.
printf '%s\n' information_schema mysql
