// Placeholder: the local host is being written (issue: platform).
return 0;
