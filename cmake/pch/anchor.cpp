// Compiled only to produce a precompiled header that other targets reuse (cmake/pch.cmake).
