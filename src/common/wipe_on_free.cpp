// Wipe on free: every heap block the C++ runtime frees in this process is overwritten with
// zeros first. Linked into the programs that hold patient data or secrets in clear (hc, and
// hc-node for bearer tokens and keys), never into a library: it replaces the global operator
// new and delete, which a program may do once.
//
// The code that handles secrets wipes what it owns (SecureBytes, Visit, the serial's
// normalized name and ID), but not the copies that libraries make behind its back: a
// std::string or the JSON parser's token buffer that grows frees its old buffer with a prefix
// of the text still in it (tests/crypto/zeroization_test.cpp found 7 such blocks after one
// visit round trip). Overwriting every block as it is freed closes all of them at once, at the
// cost of one memset per free (docs/architecture.md, "Zeroization").
#include <malloc.h>
#include <string.h>

#include <cstdlib>
#include <new>

namespace {

void* allocate(std::size_t size) {
  void* block = std::malloc(size == 0 ? 1 : size);
  if (block == nullptr) throw std::bad_alloc();
  return block;
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
  const auto align = static_cast<std::size_t>(alignment);
  // aligned_alloc wants a size that is a multiple of the alignment.
  const std::size_t rounded = (size == 0 ? align : (size + align - 1) / align * align);
  void* block = std::aligned_alloc(align, rounded);
  if (block == nullptr) throw std::bad_alloc();
  return block;
}

void wipe_and_free(void* block) noexcept {
  if (block == nullptr) return;
  explicit_bzero(block, malloc_usable_size(block));
  std::free(block);
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new(std::size_t size, std::align_val_t alignment) { return allocate_aligned(size, alignment); }
void* operator new[](std::size_t size, std::align_val_t alignment) { return allocate_aligned(size, alignment); }
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  try {
    return allocate_aligned(size, alignment);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  try {
    return allocate_aligned(size, alignment);
  } catch (...) {
    return nullptr;
  }
}

void operator delete(void* block) noexcept { wipe_and_free(block); }
void operator delete[](void* block) noexcept { wipe_and_free(block); }
void operator delete(void* block, std::size_t) noexcept { wipe_and_free(block); }
void operator delete[](void* block, std::size_t) noexcept { wipe_and_free(block); }
void operator delete(void* block, const std::nothrow_t&) noexcept { wipe_and_free(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { wipe_and_free(block); }
void operator delete(void* block, std::align_val_t) noexcept { wipe_and_free(block); }
void operator delete[](void* block, std::align_val_t) noexcept { wipe_and_free(block); }
void operator delete(void* block, std::size_t, std::align_val_t) noexcept { wipe_and_free(block); }
void operator delete[](void* block, std::size_t, std::align_val_t) noexcept { wipe_and_free(block); }
void operator delete(void* block, std::align_val_t, const std::nothrow_t&) noexcept { wipe_and_free(block); }
void operator delete[](void* block, std::align_val_t, const std::nothrow_t&) noexcept { wipe_and_free(block); }
