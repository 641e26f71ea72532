#include "client/pseudonym_key.h"

#include "crypto/serial_number.h"

namespace hc::client {

Result<SecureBytes> load_checked_pseudonym_key(const std::filesystem::path& key_file, const chain::Genesis& genesis) {
  HC_ASSIGN_OR_RETURN(SecureBytes key, crypto::load_pseudonym_key(key_file));
  HC_ASSIGN_OR_RETURN(crypto::PseudonymKeyCheck check, crypto::pseudonym_key_check(key.span(), genesis.chain_name));
  if (check != genesis.pseudonym_key_check) {
    return invalid_input("pseudonym key file " + key_file.string() + " is not the pseudonym key of chain " +
                         genesis.chain_name + " (its check value differs from the genesis)");
  }
  return key;
}

Result<SecureBytes> load_checked_pseudonym_key(const std::filesystem::path& key_file,
                                               const std::filesystem::path& genesis_file) {
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file(genesis_file.string()));
  return load_checked_pseudonym_key(key_file, genesis);
}

}  // namespace hc::client
