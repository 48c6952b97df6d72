# `ideabank help CMD` is the command's own help; -V is --version.
"$IB" help peers >a.txt; echo "help peers exit: $?"
"$IB" peers --help >b.txt
cmp a.txt b.txt && echo "same as peers --help"
head -1 a.txt
"$IB" help search | head -1
"$IB" help nosuch; echo "exit: $?"
"$IB" -V
"$IB" --version
