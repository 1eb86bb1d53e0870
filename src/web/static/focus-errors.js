// Move focus to the error summary so screen-reader and keyboard users land on what to fix.
document.getElementById("fejlopsummering")?.focus();
