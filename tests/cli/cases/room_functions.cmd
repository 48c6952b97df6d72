room København --functions --ideas 0 --year 2017
