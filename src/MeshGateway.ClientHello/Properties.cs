using System.Runtime.CompilerServices;

// The parser's stack buffers are always written before they are read; skip zeroing them (as the BCL does).
[module: SkipLocalsInit]
