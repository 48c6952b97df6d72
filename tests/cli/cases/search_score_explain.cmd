search robot --sort score --explain
