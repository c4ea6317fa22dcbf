#include "integration/http/test_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace deepdock::testing {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct FileClose {
  void operator()(FILE* file) const { std::fclose(file); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

void check(bool ok, std::string_view what) {
  if (!ok) {
    throw std::runtime_error("test PKI: " + std::string(what) + " failed");
  }
}

Key make_key() {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), &EVP_PKEY_CTX_free);
  check(ctx != nullptr, "EVP_PKEY_CTX_new_from_name");
  check(EVP_PKEY_keygen_init(ctx.get()) == 1, "EVP_PKEY_keygen_init");
  check(EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") == 1, "EVP_PKEY_CTX_set_group_name");
  EVP_PKEY* key = nullptr;
  check(EVP_PKEY_generate(ctx.get(), &key) == 1, "EVP_PKEY_generate");
  return Key(key);
}

// Signs a certificate for `key` named `common_name`; self-signed when issuer is null.
Cert make_cert(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key,
               long serial, const std::vector<std::pair<int, std::string>>& extensions) {
  Cert cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial) == 1, "serial");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600) != nullptr, "notAfter");
  check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  std::string_view cn = common_name;
  std::vector<unsigned char> cn_bytes(cn.begin(), cn.end());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn_bytes.data(),
                                   static_cast<int>(cn_bytes.size()), -1, 0) == 1,
        "subject");
  X509* signer = issuer != nullptr ? issuer : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "issuer");
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : extensions) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(extension != nullptr, "X509V3_EXT_conf_nid " + value);
    const int added = X509_add_ext(cert.get(), extension, -1);
    X509_EXTENSION_free(extension);
    check(added == 1, "X509_add_ext");
  }
  check(X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0,
        "X509_sign");
  return cert;
}

std::unique_ptr<FILE, FileClose> open_for_writing(const std::filesystem::path& path) {
  std::unique_ptr<FILE, FileClose> file(std::fopen(path.c_str(), "w"));
  check(file != nullptr, "opening " + path.string());
  return file;
}

std::string write_cert(const std::filesystem::path& path, X509* cert) {
  auto file = open_for_writing(path);
  check(PEM_write_X509(file.get(), cert) == 1, "PEM_write_X509");
  return path.string();
}

std::string write_key(const std::filesystem::path& path, EVP_PKEY* key) {
  auto file = open_for_writing(path);
  check(PEM_write_PrivateKey(file.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_PrivateKey");
  return path.string();
}

}  // namespace

TestPki make_test_pki(const std::filesystem::path& dir) {
  const Key ca_key = make_key();
  const Cert ca = make_cert(ca_key.get(), "deepdock test CA", nullptr, nullptr, 1,
                            {{NID_basic_constraints, "critical,CA:TRUE"},
                             {NID_key_usage, "critical,keyCertSign,cRLSign"},
                             {NID_subject_key_identifier, "hash"}});
  const Key server_key = make_key();
  const Cert server = make_cert(server_key.get(), "127.0.0.1", ca.get(), ca_key.get(), 2,
                                {{NID_basic_constraints, "CA:FALSE"},
                                 {NID_ext_key_usage, "serverAuth"},
                                 {NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                                 {NID_authority_key_identifier, "keyid"}});
  const Key client_key = make_key();
  const Cert client = make_cert(client_key.get(), "deepdock client", ca.get(), ca_key.get(), 3,
                                {{NID_basic_constraints, "CA:FALSE"},
                                 {NID_ext_key_usage, "clientAuth"},
                                 {NID_authority_key_identifier, "keyid"}});
  TestPki pki;
  pki.ca_cert = write_cert(dir / "ca.pem", ca.get());
  pki.server_cert = write_cert(dir / "server-cert.pem", server.get());
  pki.server_key = write_key(dir / "server-key.pem", server_key.get());
  pki.client_cert = write_cert(dir / "cert.pem", client.get());
  pki.client_key = write_key(dir / "key.pem", client_key.get());
  return pki;
}

}  // namespace deepdock::testing
