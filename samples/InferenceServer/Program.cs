// Placeholder entry point until the models are wired.
return 0;
